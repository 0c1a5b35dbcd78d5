// Required by its bare name, require('config'): found next to app.js.
export const APP_NAME = 'modern'
