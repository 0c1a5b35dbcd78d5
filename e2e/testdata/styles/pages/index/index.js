Page({ data: { rows: ['one', 'two', 'three', 'four'] } });
