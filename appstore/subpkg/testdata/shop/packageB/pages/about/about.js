Page({ data: { about: 'independent' } })
