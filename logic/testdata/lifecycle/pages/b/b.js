Page(require('../../utils/hooks').page('b'));
