Page({ data: { n: 0, ok: 0, list: [] } });
