export const prefix = 'van-'
