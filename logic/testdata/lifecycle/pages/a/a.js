Page(require('../../utils/hooks').page('a'));
