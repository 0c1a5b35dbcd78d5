Page(require('../../common/page.js')('a'))
