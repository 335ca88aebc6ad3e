#!/bin/sh
# Installs the pinned torch into a venv, a CPU build wherever one can be had:
#   scripts/install_torch.sh VENV_BIN VERSION
# from the first of:
#   1. a CPU wheel on disk for this Python (TORCH_WHEELS, default /opt/wheels: the project's
#      machines keep the 3.11 one there, so CI installs it with no download);
#   2. PyTorch's CPU wheel index (TORCH_CPU_INDEX; an empty value skips it), which publishes
#      a CPU wheel for each Python version; PyPI has no CPU build of torch for Linux;
#   3. PyPI's default build, with a note: it runs on the CPU as well but pulls several GB of
#      CUDA libraries (docs/python-versions.md has the sizes).
# A venv that already has the version is left as it is (the Dockerfile installs torch first).
set -eu
bin=$1
version=$2
wheels=${TORCH_WHEELS-/opt/wheels}
index=${TORCH_CPU_INDEX-https://download.pytorch.org/whl/cpu}
pip="$bin/pip install --disable-pip-version-check --quiet"

installed=$("$bin/python" -c "import importlib.metadata as m; print(m.version('torch'))" \
	2>/dev/null || true)
if [ "${installed%%+*}" = "$version" ]; then
	exit 0
fi

tag=$("$bin/python" -c "import sys; print('cp%d%d' % sys.version_info[:2])")
for wheel in "$wheels"/torch-"$version"+cpu-"$tag"-"$tag"-*.whl; do
	if [ -f "$wheel" ]; then
		echo "torch: the CPU build for $tag from $wheels"
		# +cpu names the wheel on disk; its dependencies come from the package index.
		exec $pip --find-links "$wheels" "torch==$version+cpu"
	fi
done

# Only Linux needs the CPU index: PyPI's macOS and Windows builds are CPU builds already.
if [ -n "$index" ] && [ "$(uname -s)" = Linux ]; then
	echo "torch: the CPU build for $tag from $index"
	# The +cpu local version exists only on that index, so pip cannot take PyPI's CUDA build;
	# a short timeout keeps an unreachable index from stalling the install.
	if $pip --timeout 20 --retries 1 --extra-index-url "$index" "torch==$version+cpu"; then
		exit 0
	fi
	echo "note: PyTorch's CPU index ($index) could not be reached or has no torch $version" >&2
	echo "      for $tag. Installing PyPI's build instead: it runs on the CPU too, but brings" >&2
	echo "      several GB of CUDA libraries. For the CPU build, remove the venv and run" >&2
	echo "      make install again where that index can be reached." >&2
fi
echo "torch: $version from PyPI"
exec $pip "torch==$version"
