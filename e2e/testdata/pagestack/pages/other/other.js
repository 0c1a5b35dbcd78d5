Page(require('../../common/page.js')('other'))
