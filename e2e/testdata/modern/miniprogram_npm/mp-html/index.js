// An npm component named by its package: "mp-html": "mp-html".
Component({
  properties: { content: { type: String, value: '' } }
})
