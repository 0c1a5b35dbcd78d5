Page(require('../../utils/hooks').page('tab2'));
