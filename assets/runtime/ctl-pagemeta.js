// ctl-pagemeta.js — <page-meta> and the <navigation-bar> inside it: a page's settings
// written in its template, rendered from data like any attribute. They draw nothing.
// page-meta: page-style (the page element's style), page-font-size, root-font-size
// (the rem base while the page is shown), background-color (the window behind the
// page), scroll-top; navigation-bar: title, front-color, background-color. Both apply
// only in a page's own template (a component's is ignored, as WeChat allows them only
// there).

function metaPage(v) { return hasOwn(state.pages, v.owner) ? state.pages[v.owner] : null; }

BUILTINS["page-meta"] = {
  own: {
    "page-style": true, "page-font-size": true, "root-font-size": true, "background-color": true,
    "background-color-top": true, "background-color-bottom": true, "root-background-color": true,
    "background-text-style": true, "scroll-top": true, "scroll-duration": true, "page-orientation": true
  },
  update: function (el, v, old) {
    var page = metaPage(v);
    if (!page) return;
    var a = v.attrs, prev = old ? old.attrs : {};
    var style = a["page-style"] === undefined ? "" : convertRpx(toText(a["page-style"]), state.rpx || 1);
    var font = cssLength(a["page-font-size"], state.rpx || 1, "");
    if (!old || style !== page.meta.pageStyle || font !== page.meta.pageFontSize) {
      page.root.style.cssText = remoteStyleImages(style, currentAppID());
      if (font) page.root.style.fontSize = font;
    }
    page.meta = {
      pageStyle: style, pageFontSize: font,
      rootFontSize: cssLength(a["root-font-size"], state.rpx || 1, ""),
      backgroundColor: toText(a["root-background-color"] || a["background-color"] || "")
    };
    if (a["scroll-top"] !== undefined && (!old || v.fresh["scroll-top"] || a["scroll-top"] !== prev["scroll-top"])) {
      var top = parseFloat(cssLength(a["scroll-top"], state.rpx || 1, "0"));
      whenPatched(function () { page.root.scrollTop = top; page.scrollTop = page.root.scrollTop; });
    }
    updateChrome();
  }
};

BUILTINS["navigation-bar"] = {
  own: { title: true, loading: true, "front-color": true, "background-color": true, "color-animation-duration": true, "color-animation-timing-func": true },
  update: function (el, v) {
    var page = metaPage(v);
    if (!page) return;
    var a = v.attrs;
    // Only inside <page-meta>, as WeChat; elsewhere it is an unknown tag (a custom
    // component of that name, common in project templates, never gets here).
    whenPatched(function () {
      if (!el.parentNode || el.parentNode.localName !== "page-meta") return;
      if (a.title !== undefined) page.title = toText(a.title);
      if (a["front-color"]) page.navbar.frontColor = toText(a["front-color"]);
      if (a["background-color"]) page.navbar.backgroundColor = toText(a["background-color"]);
      updateChrome();
    });
  }
};
