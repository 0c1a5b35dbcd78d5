package files

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// The FileSystemManager's methods (wx.getFileSystemManager()) are host APIs that wx
// does not carry itself (Hidden): logic/js/files.js builds the manager's object from
// them. Their gateway names are "fs." and WeChat's method name (policy can name
// "api:fs.writeFile"); files.js drops the "fs." from errMsg, so that it reads as in
// WeChat ("readFile:fail no such file or directory, open wxfile://usr/a.txt").
// Everything they touch is the calling app's own folder (store.go).

var (
	fPath     = hostapi.Field{Name: "filePath", Type: hostapi.String, Required: true}
	fDirPath  = hostapi.Field{Name: "dirPath", Type: hostapi.String, Required: true}
	fAnyPath  = hostapi.Field{Name: "path", Type: hostapi.String, Required: true}
	fEncoding = hostapi.Field{Name: "encoding", Type: hostapi.String}
	fData     = hostapi.Field{Name: "data", Type: hostapi.String, Required: true} // files.js turns an ArrayBuffer into base64
	fRecurse  = hostapi.Field{Name: "recursive", Type: hostapi.Boolean}
	fOld      = hostapi.Field{Name: "oldPath", Type: hostapi.String, Required: true}
	fNew      = hostapi.Field{Name: "newPath", Type: hostapi.String, Required: true}
	fSrc      = hostapi.Field{Name: "srcPath", Type: hostapi.String, Required: true}
	fDest     = hostapi.Field{Name: "destPath", Type: hostapi.String, Required: true}
	fTemp     = hostapi.Field{Name: "tempFilePath", Type: hostapi.String, Required: true}
)

// fsPair declares the async and Sync forms of one method.
func fsPair(name string, h hostapi.Handler, args ...hostapi.Field) []hostapi.Decl {
	return []hostapi.Decl{
		{Name: "fs." + name, Hidden: true, Class: hostapi.ClassLocal, Handler: h, Args: args},
		{Name: "fs." + name + "Sync", Hidden: true, Sync: true, Class: hostapi.ClassLocal, Handler: h, Args: args},
	}
}

func init() {
	var ds []hostapi.Decl
	ds = append(ds, fsPair("readFile", readFile, fPath, fEncoding,
		hostapi.Field{Name: "position", Type: hostapi.Number}, hostapi.Field{Name: "length", Type: hostapi.Number})...)
	ds = append(ds, fsPair("writeFile", writeFile(false), fPath, fData, fEncoding)...)
	ds = append(ds, fsPair("appendFile", writeFile(true), fPath, fData, fEncoding)...)
	ds = append(ds, fsPair("mkdir", mkdir, fDirPath, fRecurse)...)
	ds = append(ds, fsPair("rmdir", rmdir, fDirPath, fRecurse)...)
	ds = append(ds, fsPair("readdir", readdir, fDirPath)...)
	ds = append(ds, fsPair("stat", stat, fAnyPath, fRecurse)...)
	ds = append(ds, fsPair("unlink", unlink, fPath)...)
	ds = append(ds, fsPair("rename", rename, fOld, fNew)...)
	ds = append(ds, fsPair("copyFile", copyFile, fSrc, fDest)...)
	ds = append(ds, fsPair("access", access, fAnyPath)...)
	// FileSystemManager.saveFile: wx.saveFile's handler under the manager's own names.
	ds = append(ds, fsPair("saveFile", saveFile, fTemp, hostapi.Field{Name: "filePath", Type: hostapi.String})...)
	ds = append(ds,
		// wx.getFileSystemManager: its object is built by files.js; the declaration
		// makes it known (canIUse, the figures) and answers {} on the gateway.
		hostapi.Decl{Name: "getFileSystemManager", Sync: true, Class: hostapi.ClassLocal, Handler: empty},
		// WeChat's older file APIs, also the manager's methods of the same names.
		hostapi.Decl{Name: "saveFile", Class: hostapi.ClassLocal, Handler: saveFile,
			Args: []hostapi.Field{fTemp, {Name: "filePath", Type: hostapi.String}}},
		hostapi.Decl{Name: "getFileInfo", Class: hostapi.ClassLocal, Handler: fileInfo,
			Args: []hostapi.Field{fPath, {Name: "digestAlgorithm", Type: hostapi.String}}},
		hostapi.Decl{Name: "getSavedFileList", Class: hostapi.ClassLocal, Handler: savedList},
		hostapi.Decl{Name: "getSavedFileInfo", Class: hostapi.ClassLocal, Handler: savedInfo, Args: []hostapi.Field{fPath}},
		hostapi.Decl{Name: "removeSavedFile", Class: hostapi.ClassLocal, Handler: removeSaved, Args: []hostapi.Field{fPath}},
	)
	hostapi.Register(ds...)
}

func empty(hostapi.Call) (map[string]any, *bridge.Nav, error) { return map[string]any{}, nil, nil }

// appFiles is the calling app's files.
func appFiles(c hostapi.Call) (*AppFiles, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, err
	}
	return h.AppFiles()
}

// pathArgs are the path fields of every method.
type pathArgs struct {
	FilePath     string `json:"filePath"`
	DirPath      string `json:"dirPath"`
	Path         string `json:"path"`
	OldPath      string `json:"oldPath"`
	NewPath      string `json:"newPath"`
	SrcPath      string `json:"srcPath"`
	DestPath     string `json:"destPath"`
	TempFilePath string `json:"tempFilePath"`
	Encoding     string `json:"encoding"`
	Data         string `json:"data"`
	Recursive    bool   `json:"recursive"`
	Position     *int64 `json:"position"`
	Length       *int64 `json:"length"`
	Digest       string `json:"digestAlgorithm"`
}

func begin(c hostapi.Call) (*AppFiles, pathArgs, error) {
	var a pathArgs
	if err := c.Decode(&a); err != nil {
		return nil, a, err
	}
	af, err := appFiles(c)
	return af, a, err
}

func readFile(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	enc, err := normEncoding(a.Encoding)
	if err != nil {
		return nil, nil, err
	}
	b, err := af.ReadFile(a.FilePath)
	if err != nil {
		return nil, nil, err
	}
	if a.Position != nil || a.Length != nil {
		pos, n := int64(0), int64(len(b))
		if a.Position != nil {
			pos = *a.Position
		}
		if a.Length != nil {
			n = *a.Length
		}
		if pos < 0 || pos > int64(len(b)) || n < 0 || pos+n > int64(len(b)) {
			return nil, nil, errors.New("the value of \"position\" or \"length\" is out of range")
		}
		b = b[pos : pos+n]
	}
	return map[string]any{"data": encodeData(b, enc)}, nil, nil
}

func writeFile(appendTo bool) hostapi.Handler {
	return func(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
		af, a, err := begin(c)
		if err != nil {
			return nil, nil, err
		}
		if a.Encoding == "" {
			a.Encoding = "utf8" // WeChat's default for a string
		}
		enc, err := normEncoding(a.Encoding)
		if err != nil {
			return nil, nil, err
		}
		b, err := decodeData(a.Data, enc)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{}, nil, af.WriteFile(a.FilePath, b, appendTo)
	}
}

func mkdir(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, af.Mkdir(a.DirPath, a.Recursive)
}

func rmdir(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, af.Rmdir(a.DirPath, a.Recursive)
}

func readdir(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	names, err := af.Readdir(a.DirPath)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"files": names}, nil, nil
}

// statJSON is a Stats as it crosses to files.js, which adds isFile/isDirectory.
func statJSON(s Stat) map[string]any {
	return map[string]any{"mode": s.Mode, "size": s.Size, "lastAccessedTime": s.Accessed,
		"lastModifiedTime": s.Modified, "dir": s.Dir}
}

func stat(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	sts, err := af.Stat(a.Path, a.Recursive)
	if err != nil {
		return nil, nil, err
	}
	if !a.Recursive || !sts[0].Dir {
		return map[string]any{"stats": statJSON(sts[0])}, nil, nil
	}
	list := make([]map[string]any, 0, len(sts))
	for _, s := range sts {
		list = append(list, map[string]any{"path": "/" + s.Path, "stats": statJSON(s)})
	}
	list[0]["path"] = "/"
	return map[string]any{"stats": list}, nil, nil
}

func unlink(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, af.Unlink(a.FilePath)
}

func rename(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, af.Rename(a.OldPath, a.NewPath)
}

func copyFile(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, af.CopyFile(a.SrcPath, a.DestPath)
}

func access(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, af.Access(a.Path)
}

func saveFile(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	p, err := af.SaveFile(a.TempFilePath, a.FilePath)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"savedFilePath": p}, nil, nil
}

func fileInfo(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	b, err := af.ReadFile(a.FilePath)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]any{"size": len(b)}
	switch a.Digest {
	case "", "md5":
		s := md5.Sum(b)
		out["digest"] = hex.EncodeToString(s[:])
	case "sha1":
		s := sha1.Sum(b)
		out["digest"] = hex.EncodeToString(s[:])
	default:
		return nil, nil, fmt.Errorf("invalid digestAlgorithm %q", a.Digest)
	}
	return out, nil, nil
}

func savedList(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, err := appFiles(c)
	if err != nil {
		return nil, nil, err
	}
	l, err := af.SavedFiles()
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"fileList": l}, nil, nil
}

func savedInfo(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	l, err := af.SavedFiles()
	if err != nil {
		return nil, nil, err
	}
	for _, f := range l {
		if f.FilePath == a.FilePath {
			return map[string]any{"size": f.Size, "createTime": f.CreateTime}, nil, nil
		}
	}
	return nil, nil, fail(ReasonNotExist, "", "")
}

func removeSaved(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	af, a, err := begin(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, af.RemoveSaved(a.FilePath)
}
