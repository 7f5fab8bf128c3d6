/** Node-only helpers (file system): `import { saveModel, loadModel } from "shapegrad/node"`. */
export { saveModel, loadModel, writeFileAtomic } from "./io/file.js";
export type { ModelFileFormat } from "./io/file.js";
export { saveCheckpoint, loadCheckpoint, CHECKPOINT_FILE, CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from "./io/checkpoint.js";
export type { Checkpoint, CheckpointInput, CheckpointFitSettings, ResumeOptions } from "./io/checkpoint.js";
