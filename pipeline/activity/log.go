package activity

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/store"
)

// RecordsPrefix is where batches of progress records are stored, one
// immutable object per update or import.
const RecordsPrefix = layout.ActivityRecords

// Batch is one stored update or import: the records and who recorded
// them, when, from what.
type Batch struct {
	ID       string    `json:"-"` // revision id: time and hash
	Key      string    `json:"-"` // where it is stored
	SHA256   string    `json:"-"` // of the stored object
	Recorded time.Time `json:"recorded"`
	By       string    `json:"by,omitempty"`
	From     string    `json:"from,omitempty"` // the imported file's name, or "aceo activity update"
	Records  []Record  `json:"records"`
}

// Log is the activity records of a store.
type Log struct {
	Store store.Store
	Now   func() time.Time // time.Now unless set (tests)
}

func (l *Log) now() time.Time {
	if l.Now != nil {
		return l.Now().UTC()
	}
	return time.Now().UTC()
}

// ErrDuplicate is returned by Add when the same records were stored before.
var ErrDuplicate = errors.New("these records are already stored")

func recordsHash(recs []Record) string {
	b, _ := json.Marshal(recs)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Add stores records (already checked) as one new batch, create-only,
// and returns its revision id. The same records stored before give
// ErrDuplicate with the earlier batch's id.
func (l *Log) Add(ctx context.Context, by, from string, recs []Record) (string, error) {
	if len(recs) == 0 {
		return "", fmt.Errorf("no records to store")
	}
	sha := recordsHash(recs)
	var prev string
	err := store.ListAll(ctx, l.Store, RecordsPrefix, func(in store.Info) error {
		if strings.HasSuffix(in.Key, "-"+sha[:12]+".json") {
			prev = strings.TrimSuffix(path.Base(in.Key), ".json")
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("list activity records in %s: %w", l.Store, err)
	}
	if prev != "" {
		return prev, fmt.Errorf("%w as %s", ErrDuplicate, prev)
	}
	t := l.now()
	b := Batch{Recorded: t, By: by, From: from, Records: recs}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return "", err
	}
	id := t.Format("20060102T150405Z") + "-" + sha[:12]
	_, err = l.Store.Put(ctx, RecordsPrefix+id+".json", bytes.NewReader(data), int64(len(data)),
		store.PutOptions{CreateOnly: true, ContentType: "application/json"})
	if errors.Is(err, store.ErrExist) {
		return id, fmt.Errorf("%w as %s", ErrDuplicate, id)
	}
	if err != nil {
		return "", fmt.Errorf("store activity records in %s: %w", l.Store, err)
	}
	return id, nil
}

// Import stores, as one batch, those of recs (checked, one per Key) that
// are new or changed against the effective stored records, and returns
// them with the batch's id. Importing the same tracker again stores
// nothing (ErrDuplicate); an updated one, only its new and corrected rows,
// which supersede the rows they correct.
func (l *Log) Import(ctx context.Context, by, from string, recs []Record) (stored []Record, id string, err error) {
	have, _, err := l.Records(ctx)
	if err != nil {
		return nil, "", err
	}
	current := map[string]Record{}
	for _, r := range have {
		current[r.Key()] = r
	}
	for _, r := range recs {
		if old, ok := current[r.Key()]; ok && same(old, r) {
			continue
		}
		stored = append(stored, r)
	}
	if len(stored) == 0 {
		return nil, "", fmt.Errorf("%w: all %d records", ErrDuplicate, len(recs))
	}
	id, err = l.Add(ctx, by, from, stored)
	return stored, id, err
}

// Retract withdraws the effective record of key, for a reason: a batch
// holding the retraction is stored, and the record stays in the history.
func (l *Log) Retract(ctx context.Context, by, key, reason string, today time.Time) (string, error) {
	if strings.TrimSpace(reason) == "" {
		return "", fmt.Errorf("say why the record is withdrawn: --reason \"...\"")
	}
	have, _, err := l.Records(ctx)
	if err != nil {
		return "", err
	}
	var keys []string
	for _, r := range have {
		if r.Key() == key {
			return l.Add(ctx, by, "aceo activity retract", []Record{{Ref: r.Ref, Date: today.Format(dateLayout), Retracts: key, Reason: reason}})
		}
		keys = append(keys, r.Key())
	}
	if near := diag.Nearest(key, keys); near != "" {
		return "", fmt.Errorf("%w: no record %q; did you mean %q? (aceo activity records lists them with their keys)", store.ErrNotExist, key, near)
	}
	return "", fmt.Errorf("%w: no record %q; aceo activity records lists them with their keys", store.ErrNotExist, key)
}

// AddEvidence stores a document as evidence, named by its content, and
// returns its key. Storing the same document again returns the same key.
func (l *Log) AddEvidence(ctx context.Context, name string, data []byte) (string, error) {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".txt":
	default:
		return "", fmt.Errorf("%s: evidence must be a PDF, PNG, JPEG, DOCX, XLSX or TXT document", name)
	}
	if len(data) > 50<<20 {
		return "", fmt.Errorf("%s: evidence is %d bytes, more than the 50 MB allowed", name, len(data))
	}
	h := sha256.Sum256(data)
	key := EvidencePrefix + hex.EncodeToString(h[:]) + ext
	_, err := l.Store.Put(ctx, key, bytes.NewReader(data), int64(len(data)), store.PutOptions{CreateOnly: true})
	if err != nil && !errors.Is(err, store.ErrExist) {
		return "", fmt.Errorf("store evidence %s in %s: %w", name, l.Store, err)
	}
	return key, nil
}

// Records reads every stored batch, in the order they were recorded, and
// returns their records numbered in that order, with the batches.
func (l *Log) Records(ctx context.Context) ([]Record, []Batch, error) {
	var keys []string
	shas := map[string]string{}
	err := store.ListAll(ctx, l.Store, RecordsPrefix, func(in store.Info) error {
		if strings.HasSuffix(in.Key, ".json") {
			keys = append(keys, in.Key)
			shas[in.Key] = in.SHA256
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("list activity records in %s: %w", l.Store, err)
	}
	sort.Strings(keys)
	return l.read(ctx, keys, shas)
}

// read reads the batches under keys, in that order (shas gives the stored
// objects' hashes when a listing has them), numbers their records in that
// order, and returns the effective ones (Effective): a record superseded
// by a correction or withdrawn by a retraction is only in the batches.
func (l *Log) read(ctx context.Context, keys []string, shas map[string]string) ([]Record, []Batch, error) {
	var recs []Record
	var batches []Batch
	for _, k := range keys {
		b, err := l.readBatch(ctx, k, shas[k])
		if err != nil {
			return nil, nil, err
		}
		batches = append(batches, b)
	}
	// in the order recorded, to the nanosecond: batch ids name the second
	// only, and a correction or a retraction must come after what it
	// corrects even within one second
	sort.SliceStable(batches, func(i, j int) bool {
		if !batches[i].Recorded.Equal(batches[j].Recorded) {
			return batches[i].Recorded.Before(batches[j].Recorded)
		}
		return batches[i].ID < batches[j].ID
	})
	for _, b := range batches {
		for i := range b.Records {
			b.Records[i].Seq = len(recs)
			b.Records[i].Origin = b.ID
			recs = append(recs, b.Records[i])
		}
	}
	return Effective(recs), batches, nil
}

// readBatch reads one stored batch and checks that its records match the
// hash in its name.
func (l *Log) readBatch(ctx context.Context, k, sha string) (Batch, error) {
	rc, _, err := l.Store.Get(ctx, k)
	if err != nil {
		return Batch{}, fmt.Errorf("read %s: %w", k, err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, 64<<20))
	rc.Close()
	if err != nil {
		return Batch{}, fmt.Errorf("read %s: %w", k, err)
	}
	var b Batch
	if err := json.Unmarshal(data, &b); err != nil {
		return Batch{}, fmt.Errorf("%s is not a batch of activity records: %w", k, err)
	}
	b.ID = strings.TrimSuffix(path.Base(k), ".json")
	b.Key = k
	if b.SHA256 = sha; b.SHA256 == "" {
		sum := sha256.Sum256(data)
		b.SHA256 = hex.EncodeToString(sum[:])
	}
	if got := recordsHash(b.Records); !strings.HasSuffix(b.ID, "-"+got[:12]) {
		return Batch{}, fmt.Errorf("%s: its records do not match the hash in its name; it was changed after it was stored", k)
	}
	return b, nil
}

// ReadBatches reads the batches stored under keys, in that order, and
// returns their records numbered in that order: a rebuild reads exactly
// the batches a build used.
func (l *Log) ReadBatches(ctx context.Context, keys []string) ([]Record, []Batch, error) {
	return l.read(ctx, keys, nil)
}
