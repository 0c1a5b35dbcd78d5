package canvas

// TempStore keeps the app's temporary files: what canvasToTempFilePath makes. The
// shell's one file store (files.AppFiles.WriteTemp, docs/files.md) is behind it in the
// session: it bounds the files, serves them to the page's <image>, ends them with the
// session and wipes them with the app. SaveTemp stores data (ext "png" or "jpg") and
// answers the path the app sees (wxfile://tmp_…).
type TempStore interface {
	SaveTemp(ext string, data []byte) (string, error)
}
