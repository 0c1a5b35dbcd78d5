Component({
  properties: { label: { type: String, value: '' } },
  data: { kind: 'badge' }
});
