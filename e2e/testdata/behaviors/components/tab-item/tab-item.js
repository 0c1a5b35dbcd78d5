Component({
  behaviors: [require('../../behaviors/labelled')],
  data: { meta: { shared: 'item' }, parent: 'none' },
  relations: {
    '../tab-list/tab-list': {
      type: 'parent',
      linked(list) { this.setData({ parent: list.is }); },
    },
  },
});
