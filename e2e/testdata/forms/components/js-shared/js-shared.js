Component({ options: { styleIsolation: 'shared' } });
