package storage

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sandframe/sandframe/internal/privatedb"
)

// plainDB is the benchmark's control: the same schema, pragmas, statements and
// transactions as appDB, and the same freshness check per call, with names and values
// stored in plaintext (the look-up key is the name itself).
type plainDB struct {
	path                                               string
	fi                                                 os.FileInfo
	w, r                                               *sql.DB
	getStmt, metaStmt, sizeStmt, upsertStmt, totalStmt *sql.Stmt
}

func openPlain(b *testing.B, dir string) *plainDB {
	b.Helper()
	if err := mkdirPrivate(dir); err != nil {
		b.Fatal(err)
	}
	p := &plainDB{path: filepath.Join(dir, dbFile)}
	if err := privatedb.PrepareFile(p.path); err != nil {
		b.Fatal(err)
	}
	p.fi, _ = os.Stat(p.path)
	var err error
	if p.w, err = sql.Open("sqlite3", dsn(p.path, true)); err != nil {
		b.Fatal(err)
	}
	p.w.SetMaxOpenConns(1)
	if _, err := p.w.Exec(schema); err != nil {
		b.Fatal(err)
	}
	if _, err := p.w.Exec("INSERT INTO meta (id, app, key_version, wrapped, total) VALUES (1, 'plain', 1, x'', 0)"); err != nil {
		b.Fatal(err)
	}
	if p.r, err = sql.Open("sqlite3", dsn(p.path, false)); err != nil {
		b.Fatal(err)
	}
	p.r.SetMaxOpenConns(4)
	for _, x := range []struct {
		db   *sql.DB
		stmt **sql.Stmt
		q    string
	}{{p.r, &p.getStmt, sqlGet}, {p.w, &p.metaStmt, sqlMeta}, {p.w, &p.sizeStmt, sqlSize}, {p.w, &p.upsertStmt, sqlUpsert}, {p.w, &p.totalStmt, sqlTotal}} {
		if *x.stmt, err = x.db.Prepare(x.q); err != nil {
			b.Fatal(err)
		}
	}
	return p
}

func (p *plainDB) current() bool {
	fi, err := os.Stat(p.path)
	return err == nil && os.SameFile(fi, p.fi)
}

func (p *plainDB) set(key string, value []byte, maxApp int64) error {
	if !p.current() {
		return errors.New("stale")
	}
	size := int64(len(key) + len(value))
	tx, err := p.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var version, total, old int64
	if err := tx.Stmt(p.metaStmt).QueryRow().Scan(&version, &total); err != nil {
		return err
	}
	if err := tx.Stmt(p.sizeStmt).QueryRow([]byte(key)).Scan(&old); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if total-old+size > maxApp {
		return ErrQuota
	}
	if _, err := tx.Stmt(p.upsertStmt).Exec([]byte(key), []byte(key), value, size); err != nil {
		return err
	}
	if _, err := tx.Stmt(p.totalStmt).Exec(total - old + size); err != nil {
		return err
	}
	return tx.Commit()
}

func (p *plainDB) get(key string) ([]byte, error) {
	if !p.current() {
		return nil, errors.New("stale")
	}
	var (
		version int64
		v       []byte
	)
	if err := p.getStmt.QueryRow([]byte(key)).Scan(&version, &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, ErrNoKey
	}
	return v, nil
}

func (p *plainDB) close() {
	for _, s := range []*sql.Stmt{p.getStmt, p.metaStmt, p.sizeStmt, p.upsertStmt, p.totalStmt} {
		s.Close()
	}
	p.r.Close()
	p.w.Close()
}

// BenchmarkSetGet10k sets 10,000 keys one call each (each a durable transaction:
// WAL, synchronous=FULL) and then gets them all, encrypted through AppStore and in
// plaintext through the same schema, in one run; it reports both throughputs and the
// encrypted/plaintext time ratios (1.0 = no cost).
func BenchmarkSetGet10k(b *testing.B) {
	const n = 10000
	keys := make([]string, n)
	values := make([]json.RawMessage, n)
	for i := range n {
		keys[i] = fmt.Sprintf("todo-%05d", i)
		values[i] = json.RawMessage(fmt.Sprintf(`{"id":%d,"title":"Buy milk number %d","done":false,"tags":["home","shop"]}`, i, i))
	}
	var encSet, encGet, plainSet, plainGet time.Duration
	runEnc := func() {
		d := newDirs(b)
		s := openStore(b, d, nil)
		a := appStore(b, s, "dev.example.bench")
		t0 := time.Now()
		for i := range n {
			if err := a.Set(keys[i], values[i]); err != nil {
				b.Fatal(err)
			}
		}
		encSet += time.Since(t0)
		t0 = time.Now()
		for i := range n {
			if _, err := a.Get(keys[i]); err != nil {
				b.Fatal(err)
			}
		}
		encGet += time.Since(t0)
		s.Close()
	}
	runPlain := func() {
		p := openPlain(b, filepath.Join(b.TempDir(), "plain"))
		t0 := time.Now()
		for i := range n {
			if err := p.set(keys[i], values[i], DefaultMaxAppBytes); err != nil {
				b.Fatal(err)
			}
		}
		plainSet += time.Since(t0)
		t0 = time.Now()
		for i := range n {
			if _, err := p.get(keys[i]); err != nil {
				b.Fatal(err)
			}
		}
		plainGet += time.Since(t0)
		p.close()
	}
	for i := 0; i < b.N; i++ {
		if i%2 == 0 { // alternate the order so that neither always runs on a warm cache
			runEnc()
			runPlain()
		} else {
			runPlain()
			runEnc()
		}
	}
	ops := float64(n * b.N)
	b.ReportMetric(ops/encSet.Seconds(), "enc-set/s")
	b.ReportMetric(ops/plainSet.Seconds(), "plain-set/s")
	b.ReportMetric(ops/encGet.Seconds(), "enc-get/s")
	b.ReportMetric(ops/plainGet.Seconds(), "plain-get/s")
	b.ReportMetric(encSet.Seconds()/plainSet.Seconds(), "set-ratio")
	b.ReportMetric(encGet.Seconds()/plainGet.Seconds(), "get-ratio")
}

// BenchmarkSeal is the cryptography alone for one item: hash, seal name, seal value.
func BenchmarkSeal(b *testing.B) {
	material, _ := newMaterial()
	k, _ := newAppKeys("dev.example.bench", 1, material)
	v := []byte(`{"id":1,"title":"Buy milk number 1","done":false,"tags":["home","shop"]}`)
	for b.Loop() {
		if _, err := sealRow(k, "todo-00001", v); err != nil {
			b.Fatal(err)
		}
	}
}
