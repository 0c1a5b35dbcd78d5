// Legacy top-level lifetimes; `lifetimes.attached` wins over the top-level one.
Component({
  created() { console.log('child.created'); },
  attached() { console.log('child.attached (legacy, must not run)'); },
  ready() { console.log('child.ready'); },
  detached() { console.log('child.detached'); },
  lifetimes: { attached() { console.log('child.attached'); } },
  pageLifetimes: { show() { console.log('child.pageShow'); }, hide() { console.log('child.pageHide'); } },
});
