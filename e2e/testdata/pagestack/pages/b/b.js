Page(require('../../common/page.js')('b'))
