Component({ behaviors: ['wx://form-field-group'] })
