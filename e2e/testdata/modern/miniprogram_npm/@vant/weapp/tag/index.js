// A component of a scoped package: "@vant/weapp/tag/index".
import { prefix } from '../common/prefix'

Component({
  properties: { type: { type: String, value: 'default' } },
  data: { cls: prefix + 'tag' }
})
