// LanceDB lists an embedding library (with ONNX Runtime and sharp) and the OpenAI client as
// optional dependencies for its embedding functions; the bench passes vectors itself, so they
// are dropped here rather than downloading a few hundred MB nothing uses.
module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name === '@lancedb/lancedb' && pkg.optionalDependencies) {
        delete pkg.optionalDependencies['@huggingface/transformers'];
        delete pkg.optionalDependencies.openai;
      }
      return pkg;
    },
  },
};
