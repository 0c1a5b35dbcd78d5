Component({
  properties: { text: String },
});
