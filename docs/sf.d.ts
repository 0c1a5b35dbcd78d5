// sf.d.ts — Sandframe's additions to wx, generated from the shell's host API registry
// (docs/apis.md) by `shell new` (and `go generate ./scaffold`). Do not edit: generate it again.
// wx's own methods come from WeChat's typings (miniprogram-api-typings); sf is the same
// object as wx, with these on it as well.

declare namespace SF {
  interface GeneralCallbackResult {
    errMsg: string
  }
  interface AsyncOptions<R = GeneralCallbackResult> {
    success?: (res: R) => void
    fail?: (err: GeneralCallbackResult) => void
    complete?: (res: GeneralCallbackResult) => void
  }
  type Result = GeneralCallbackResult & Record<string, any>

  interface GetFileInfoOption extends AsyncOptions<Result> {
    filePath: string
    digestAlgorithm?: string
  }

  interface GetSavedFileInfoOption extends AsyncOptions<Result> {
    filePath: string
  }

  interface PickFileOption extends AsyncOptions<Result> {
    count?: number
    type?: string
    extension?: any[]
  }

  interface RemoveSavedFileOption extends AsyncOptions<Result> {
    filePath: string
  }

  interface RequestCapabilityOption extends AsyncOptions<Result> {
    name: string
  }

  interface SaveFileOption extends AsyncOptions<Result> {
    tempFilePath: string
    filePath?: string
  }

  /** sf.share */
  interface ShareAPI {
    /** sf.share.publish — needs the capability share:publish (declared in app.json) */
    publish(name?: string, value?: any, options?: Record<string, any>): Promise<SF.Result>
    /** sf.share.read — needs the capability share:read (declared in app.json) */
    read(from?: string, name?: string): Promise<SF.Result>
    /** sf.share.unpublish — needs the capability share:publish (declared in app.json) */
    unpublish(name?: string): Promise<SF.Result>
  }

  /** sf.update */
  interface UpdateAPI {
    /** sf.update.apply */
    apply(option?: AsyncOptions<Result>): Promise<Result>
    /** sf.update.check */
    check(option?: AsyncOptions<Result>): Promise<Result>
  }

  /** What sf has that WeChat's wx does not. */
  interface Own {
    /** sf.getFileInfo */
    getFileInfo(option: GetFileInfoOption): Promise<Result>
    /** sf.getSavedFileInfo */
    getSavedFileInfo(option: GetSavedFileInfoOption): Promise<Result>
    /** sf.getSavedFileList */
    getSavedFileList(option?: AsyncOptions<Result>): Promise<Result>
    /** sf.pickFile — needs the capability file:pick (declared in app.json) */
    pickFile(option?: PickFileOption): Promise<Result>
    /** sf.removeSavedFile */
    removeSavedFile(option: RemoveSavedFileOption): Promise<Result>
    /** sf.requestCapability */
    requestCapability(option: RequestCapabilityOption | string): Promise<Result>
    /** sf.saveFile */
    saveFile(option: SaveFileOption): Promise<Result>
    /** sf.shareAppMessage — needs the capability share:publish (declared in app.json) — planned: answers "not supported on this platform" for now */
    shareAppMessage(option?: AsyncOptions<Result>): Promise<Result>
    /** sf.showNotification — needs the capability notification:show (declared in app.json) — planned: answers "not supported on this platform" for now */
    showNotification(option?: AsyncOptions<Result>): Promise<Result>
    share: ShareAPI
    update: UpdateAPI
  }

  /** sf: wx with Sandframe's own APIs (where a name is in both, sf's declaration). */
  type Sf = Omit<WechatMiniprogram.Wx, keyof Own> & Own
}

declare const sf: SF.Sf
