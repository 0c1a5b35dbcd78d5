package hostapi

// The listener forms of the socket and network-status APIs live in the logic
// framework's task layer (logic/js/tasks.js) over the registry's connectSocket,
// sendSocketMessage, closeSocket and onNetworkStatusChange: they need no call of their
// own, so they count with the framework's methods.
func init() {
	FrameworkAPIs = append(FrameworkAPIs, "onSocketOpen", "onSocketMessage", "onSocketClose", "onSocketError",
		"offNetworkStatusChange")
}
