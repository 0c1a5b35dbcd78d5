Page({ data: { x: 1 } });
