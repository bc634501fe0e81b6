// model-viewer loads `meshoptDecoderLocation` as a classic <script> and, once it has loaded, uses the
// MeshoptDecoder that is bundled in its own chunk (three/examples/jsm/libs/meshopt_decoder.module.js).
// three's file is an ES module, which a classic script cannot run, so the storefront points
// model-viewer here: a same-origin script that only has to load (components/three/ProductModel.tsx).
