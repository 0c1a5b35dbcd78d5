Component({ options: { styleIsolation: 'page-shared' } })
