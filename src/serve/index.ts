// serve: a static server for output/ (feedloom serve). Depends on nothing but node:http and the files.
export { DEFAULT_TYPE, EXTENSION_TYPES, FILE_NAME_TYPES, type FileType, fileTypeOf } from './mime.js';
export {
  isPageRequest,
  pickCoding,
  type RunningServer,
  type ServeOptions,
  safeSegments,
  startStaticServer,
} from './server.js';
