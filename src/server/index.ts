// The Node/edge entry: the proxy handler, the node:http adapter and the offline demo model.

// --- server (src/server/) ---
