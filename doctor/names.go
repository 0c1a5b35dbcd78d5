package doctor

import (
	"strings"
	"sync"

	"github.com/sandframe/sandframe/assets"
	"github.com/sandframe/sandframe/internal/hostapi"
	_ "github.com/sandframe/sandframe/internal/hostapi/all" // every service's declarations
)

// implementedAPIs is the set of wx/sf members the shell implements: the host API
// registry's implemented declarations (by name and by path, e.g. share.publish) and the
// framework's own methods.
var implementedAPIs = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{"share": true}
	for _, d := range hostapi.All() {
		if d.Implemented() {
			set[d.Name] = true
		}
	}
	for _, n := range hostapi.FrameworkAPIs {
		set[n] = true
	}
	return set
})

// supportedTags are the WXML tags the shell renders as WeChat does: the render
// runtime's built-in components (assets.Components, read from the runtime itself, the
// list wx.canIUse answers from), and the tags whose whole behaviour is to be a
// container or a template construct.
var supportedTags = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{
		"view": true, "block": true, "slot": true, "template": true, "import": true, "include": true,
		"wxs": true, "checkbox-group": true, "radio-group": true, "swiper-item": true,
	}
	for _, c := range assets.Components() {
		set[c] = true
	}
	return set
})

// wechatTags are WeChat's built-in components (its component reference): a tag here
// that the runtime does not implement renders as a plain container (COMPAT.md rule 2).
var wechatTags = func() map[string]bool {
	set := map[string]bool{}
	for _, t := range strings.Fields(`view scroll-view swiper swiper-item movable-area movable-view
		cover-view cover-image match-media page-container root-portal share-element grid-view list-view
		sticky-header sticky-section draggable-sheet nested-scroll-header nested-scroll-body
		icon progress rich-text text selection span
		button checkbox checkbox-group editor form input keyboard-accessory label picker picker-view
		picker-view-column radio radio-group slider switch textarea
		functional-page-navigator navigator
		audio camera channel-live channel-video image live-player live-pusher video voip-room
		map canvas web-view ad ad-custom official-account open-data open-container
		native-component aria-component navigation-bar page-meta store-home store-product
		block slot template import include wxs`) {
		set[t] = true
	}
	return set
}()
