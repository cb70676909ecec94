"""One package per stage. A stage never imports another stage; stages share
only `eventledger.models`, `eventledger.pipeline` and the data files."""
