Page({ data: { items: ['tea', 'rice'] } })
