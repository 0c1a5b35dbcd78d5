Component(require('../../utils/hooks').component('parent'));
