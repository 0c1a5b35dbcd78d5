package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"
)

// keysAt returns the app's keys at version, reloading them when the database moved on
// (a rotation through another handle or process).
func (d *appDB) keysAt(q querier, version int64) (*appKeys, error) {
	if k := d.keys.Load(); k.version == version {
		return k, nil
	}
	k, err := d.loadKeys(q)
	if err != nil {
		return nil, err
	}
	d.keys.Store(k)
	return k, nil
}

type sealedRow struct{ h, name, value []byte }

func sealRow(k *appKeys, key string, value []byte) (sealedRow, error) {
	h := k.nameHash(key)
	name, err := k.sealName(h, key)
	if err != nil {
		return sealedRow{}, err
	}
	v, err := k.sealValue(key, value)
	if err != nil {
		return sealedRow{}, err
	}
	return sealedRow{h, name, v}, nil
}

// set stores one item in one transaction: the quota check, the row and the new total
// commit together or not at all, so a refused set leaves the old value.
func (d *appDB) set(key string, value []byte, size int, maxApp int64) error {
	k := d.keys.Load()
	row, err := sealRow(k, key, value) // sealed before the write lock, redone if a rotation won
	if err != nil {
		return err
	}
	tx, err := d.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var version, total int64
	if err := tx.Stmt(d.metaStmt).QueryRow().Scan(&version, &total); err != nil {
		return fmt.Errorf("read app meta: %w", err)
	}
	if version != k.version {
		if k, err = d.keysAt(tx, version); err != nil {
			return err
		}
		if row, err = sealRow(k, key, value); err != nil {
			return err
		}
	}
	var old int64
	if err := tx.Stmt(d.sizeStmt).QueryRow(row.h).Scan(&old); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read item size: %w", err)
	}
	if next := total - old + int64(size); next > maxApp {
		return fmt.Errorf("%w: %d bytes stored, the item is %d bytes (replacing %d), limit %d bytes",
			ErrQuota, total, size, old, maxApp)
	} else {
		total = next
	}
	if _, err := tx.Stmt(d.upsertStmt).Exec(row.h, row.name, row.value, size); err != nil {
		return fmt.Errorf("write item: %w", err)
	}
	if _, err := tx.Stmt(d.totalStmt).Exec(total); err != nil {
		return fmt.Errorf("write total: %w", err)
	}
	return tx.Commit()
}

// get reads and opens one value. One statement reads the key version and the row from
// one snapshot; a version other than the cached keys' means a rotation: reload, retry.
func (d *appDB) get(key string) ([]byte, error) {
	for range 3 {
		k := d.keys.Load()
		var (
			version int64
			sealed  []byte
		)
		if err := d.getStmt.QueryRow(k.nameHash(key)).Scan(&version, &sealed); err != nil {
			return nil, fmt.Errorf("read item: %w", err)
		}
		if version != k.version {
			if _, err := d.keysAt(d.r, version); err != nil {
				return nil, err
			}
			continue
		}
		if sealed == nil {
			return nil, ErrNoKey
		}
		v, err := k.openValue(key, sealed)
		if err != nil {
			return nil, fmt.Errorf("%w: the stored value does not open under this app's key and this key name", ErrTampered)
		}
		return v, nil
	}
	return nil, errors.New("app key kept changing during the read")
}

func (d *appDB) remove(key string) error {
	tx, err := d.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var version, total int64
	if err := tx.Stmt(d.metaStmt).QueryRow().Scan(&version, &total); err != nil {
		return fmt.Errorf("read app meta: %w", err)
	}
	k, err := d.keysAt(tx, version)
	if err != nil {
		return err
	}
	h := k.nameHash(key)
	var size int64
	switch err := tx.Stmt(d.sizeStmt).QueryRow(h).Scan(&size); {
	case errors.Is(err, sql.ErrNoRows):
		return nil // removing an absent key succeeds, as in WeChat
	case err != nil:
		return fmt.Errorf("read item size: %w", err)
	}
	if _, err := tx.Stmt(d.deleteStmt).Exec(h); err != nil {
		return fmt.Errorf("delete item: %w", err)
	}
	if _, err := tx.Stmt(d.totalStmt).Exec(total - size); err != nil {
		return fmt.Errorf("write total: %w", err)
	}
	return tx.Commit()
}

func (d *appDB) clear() error {
	tx, err := d.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("DELETE FROM kv"); err != nil {
		return fmt.Errorf("delete items: %w", err)
	}
	if _, err := tx.Stmt(d.totalStmt).Exec(0); err != nil {
		return fmt.Errorf("write total: %w", err)
	}
	return tx.Commit()
}

// KeyInfo is one stored item's name and size (key name + value JSON, in bytes).
type KeyInfo struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// list opens every key name, in one read snapshot; sorted by name.
func (d *appDB) list() ([]KeyInfo, int64, error) {
	tx, err := d.r.Begin()
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var version, total int64
	if err := tx.QueryRow("SELECT key_version, total FROM meta").Scan(&version, &total); err != nil {
		return nil, 0, fmt.Errorf("read app meta: %w", err)
	}
	k, err := d.keysAt(tx, version)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.Query("SELECT h, name, size FROM kv")
	if err != nil {
		return nil, 0, fmt.Errorf("list items: %w", err)
	}
	defer rows.Close()
	var out []KeyInfo
	for rows.Next() {
		var (
			h, sealed []byte
			size      int64
		)
		if err := rows.Scan(&h, &sealed, &size); err != nil {
			return nil, 0, fmt.Errorf("list items: %w", err)
		}
		name, err := k.openName(h, sealed)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: a stored key name does not open under this app's key", ErrTampered)
		}
		out = append(out, KeyInfo{Name: name, Size: size})
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list items: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, total, nil
}

func (d *appDB) usage() (keys int, bytes int64, err error) {
	err = d.r.QueryRow("SELECT (SELECT COUNT(*) FROM kv), (SELECT total FROM meta)").Scan(&keys, &bytes)
	return keys, bytes, err
}

// rotate re-seals every item under new random keys in one transaction: every item is
// opened first (one that does not open aborts the rotation, changing nothing), the new
// key version replaces the old wrapped key in place, and the commit is all or nothing.
func (d *appDB) rotate() error {
	tx, err := d.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	old, err := d.loadKeys(tx)
	if err != nil {
		return err
	}
	type item struct {
		name  string
		value []byte
		size  int64
	}
	var items []item
	rows, err := tx.Query("SELECT h, name, value, size FROM kv")
	if err != nil {
		return fmt.Errorf("read items: %w", err)
	}
	for rows.Next() {
		var (
			h, sn, sv []byte
			it        item
		)
		if err := rows.Scan(&h, &sn, &sv, &it.size); err != nil {
			rows.Close()
			return fmt.Errorf("read items: %w", err)
		}
		if it.name, err = old.openName(h, sn); err == nil {
			it.value, err = old.openValue(it.name, sv)
		}
		if err != nil {
			rows.Close()
			return fmt.Errorf("%w: an item does not open under the current key; nothing was rotated", ErrTampered)
		}
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read items: %w", err)
	}
	material, err := newMaterial()
	if err != nil {
		return err
	}
	next, err := newAppKeys(d.app, old.version+1, material)
	if err != nil {
		return err
	}
	wrapped, err := d.master.wrap(d.app, next.version, material)
	if err != nil {
		return err
	}
	if _, err := tx.Exec("DELETE FROM kv"); err != nil {
		return fmt.Errorf("delete old items: %w", err)
	}
	for _, it := range items {
		row, err := sealRow(next, it.name, it.value)
		if err != nil {
			return err
		}
		if _, err := tx.Stmt(d.upsertStmt).Exec(row.h, row.name, row.value, it.size); err != nil {
			return fmt.Errorf("write item: %w", err)
		}
	}
	if _, err := tx.Exec("UPDATE meta SET key_version = ?, wrapped = ?", next.version, wrapped); err != nil {
		return fmt.Errorf("store new app key: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	d.keys.Store(next)
	return nil
}
