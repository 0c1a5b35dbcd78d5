Component({ options: { styleIsolation: 'page-isolated' } })
