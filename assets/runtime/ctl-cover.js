// ctl-cover.js — <cover-view>/<cover-image>: in WeChat they float over native
// components (map, video); here nothing is native, so they are a view and an image that
// stack above their siblings (base.css: position relative, z-index 1; the app's own
// position wins). cover-image's src resolves like <image> (bundle, data:, or remote
// through the image scheme) and sends load/error.

BUILTINS["cover-view"] = {};
BUILTINS["cover-image"] = BUILTINS.image;
