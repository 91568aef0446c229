#!/usr/bin/env bash
# Executes every notebook headlessly with the tslab kernel; any cell error fails CI.
# Jupyter comes from Debian's packages (into /usr/bin/python3); tslab lives in
# tools/tslab so its bundled TypeScript stays out of the library's devDependencies.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
apt_install jupyter-nbconvert python3-nbclient jupyter-client jupyter-core python3-ipykernel
(cd tools/tslab && npm install --no-audit --no-fund --loglevel=error)
kernels=$(mktemp -d)
"$root/tools/tslab/node_modules/.bin/tslab" install --python /usr/bin/python3 \
  --binary "$root/tools/tslab/node_modules/.bin/tslab" --prefix "$kernels" >/dev/null
export JUPYTER_PATH="$kernels/share/jupyter"
out=$(mktemp -d)
for nb in notebooks/*.ipynb; do
  echo "running $nb"
  /usr/bin/python3 -m nbconvert --to notebook --execute "$nb" --output-dir "$out" \
    --ExecutePreprocessor.kernel_name=tslab --ExecutePreprocessor.timeout=120 >/dev/null 2>"$out/err.log" \
    || { cat "$out/err.log" >&2; exit 1; }
done
echo "notebooks ok"
