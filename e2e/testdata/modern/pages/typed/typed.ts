// A page in TypeScript (WeChat's useCompilerPlugins: ["typescript"]).
interface TypedData {
  title: string
  items: string[]
}

const data: TypedData = { title: 'typed page', items: ['a', 'b'] }

Page({
  data,
  onLoad() {
    this.setData({ joined: data.items.join('+') })
  }
})
