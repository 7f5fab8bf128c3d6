/** Node-only helpers (file system): `import { saveModel, loadModel } from "shapegrad/node"`. */
export { saveModel, loadModel, writeFileAtomic } from "./io/file.js";
