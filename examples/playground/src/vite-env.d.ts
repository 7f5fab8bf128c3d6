/** The checker worker's in-memory file system (plugins/type-files.ts): path to file text. */
declare module "virtual:type-files" {
  const files: Record<string, string>;
  export default files;
}

/** Stylesheets imported for their side effect; Vite adds them to the page. */
declare module "*.css";
