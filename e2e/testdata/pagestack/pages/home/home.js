Page(require('../../common/page.js')('home'))
