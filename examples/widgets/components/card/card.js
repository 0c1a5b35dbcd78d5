// A card with a title, a counter and two slots: "note" in its head, the default below.
Component({
  options: { multipleSlots: true },
  properties: {
    title: String,
    count: { type: Number, value: 0 }
  }
})
