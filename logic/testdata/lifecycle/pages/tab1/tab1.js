Page(require('../../utils/hooks').page('tab1'));
