Component({
  properties: { items: { type: Array, value: [] } },
});
