Page({ data: { page: "a" } })
