# The two commands of the README: `make sample` builds the sample
# publication's English and Chinese PDFs into out/; `make test` runs all tests.
.PHONY: sample test test-scale bench bench-data setup

setup:
	bash scripts/setup.sh

sample: setup
	bash scripts/sample.sh

test: setup
	bash scripts/setup-test.sh
	gofmt -l . | (! grep .) || (echo "gofmt needed on the files above" && exit 1)
	go vet ./...
	bash scripts/check-fpdf-patches.sh   # third_party/fpdf is v0.12.0 plus its patches; upstream's tests pass on it
	go test -timeout 30m ./...
	# every fuzz target, briefly (their seeds and crashers also run in go test)
	go test -run '^$$' -fuzz '^FuzzDraft$$' -fuzztime 10x ./pipeline/build/
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 2000x ./pipeline/manuscript/
	go test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime 2000x ./pipeline/strictyaml/
	go test -run '^$$' -fuzz '^FuzzReadCSV$$' -fuzztime 1000x ./pipeline/dataset/
	go test -run '^$$' -fuzz '^FuzzReadXLSX$$' -fuzztime 100x ./pipeline/dataset/
	go test -run '^$$' -fuzz '^FuzzXLSXParts$$' -fuzztime 200x ./pipeline/dataset/
	go test -run '^$$' -fuzz '^FuzzTranslate$$' -fuzztime 2000x ./pipeline/diag/
	go test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime 200x ./pipeline/figure/
	go test -run '^$$' -fuzz '^FuzzVerifyInvite$$' -fuzztime 2000x ./pipeline/portal/
	go test -run '^$$' -fuzz '^FuzzInviteRoundTrip$$' -fuzztime 2000x ./pipeline/portal/
	go test -run '^$$' -fuzz '^FuzzRange$$' -fuzztime 2000x ./pipeline/portal/
	go test -run '^$$' -fuzz '^FuzzBibTeX$$' -fuzztime 500x ./pipeline/bib/
	go test -run '^$$' -fuzz '^FuzzCSLJSON$$' -fuzztime 500x ./pipeline/bib/
	go test -run '^$$' -fuzz '^FuzzSubsetCFF$$' -fuzztime 2000x ./pipeline/pdffont/
	go test -run '^$$' -fuzz '^FuzzShapingView$$' -fuzztime 2000x ./pipeline/typeset/
	go test -run '^$$' -fuzz '^FuzzEventKeys$$' -fuzztime 2000x ./pipeline/store/
	go test -race -timeout 30m ./pipeline/...   # editions are built concurrently and share fonts
	go test -race -run 'TestPublishWithdrawDownload|TestWatch|TestBuildOutput|TestServeAndInvite' ./cmd/aceo/   # concurrent publishers, the watcher, progress, the web server
	$(MAKE) test-scale

# Scale-out on a distributed SeaweedFS (1 master, 3 volume servers with
# replication 001, a filer, the S3 gateway): 2 catalogue replicas, 40
# authors, 3 editors, a volume server killed; reports throughput (SCALE
# lines). About two minutes.
test-scale:
	bash scripts/setup-test.sh
	go test -tags scale -run '^TestScale$$' -count=1 -timeout 10m -v ./cmd/aceo/

bench:
	go test -run '^$$' -bench . -benchmem ./pipeline/build/

# A million observations as XLSX and CSV (generated once into
# /tmp/aceo-bench-1m): ReadXLSX against excelize's bare Rows, and ReadCSV.
bench-data:
	go test -run '^$$' -bench . -benchtime 2x -benchmem ./pipeline/dataset/
