# Shared by the scripts: build tags and PATH.
export SANDFRAME_TAGS="sqlite_omit_load_extension"
export PATH="/usr/local/go/bin:$PATH"
export CGO_ENABLED=1
