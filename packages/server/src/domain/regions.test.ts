import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cityOf, levelOf, zhejiangRegions } from './regions.ts'

test('Zhejiang has 11 cities and 90 county-level divisions, each under a real city', () => {
  const regions = zhejiangRegions()
  const cities = regions.filter((r) => r.level === 'city')
  const counties = regions.filter((r) => r.level === 'county')
  assert.equal(cities.length, 11)
  assert.equal(counties.length, 90)
  const cityCodes = new Set(cities.map((c) => c.code))
  for (const county of counties) {
    assert.ok(cityCodes.has(county.parentCode!), `${county.name} ${county.code}`)
    assert.equal(cityOf(county.code), county.parentCode)
    assert.equal(levelOf(county.code), 'county')
  }
  for (const city of cities) {
    assert.ok(
      city.centerLng! > 118 && city.centerLng! < 123 && city.centerLat! > 27 && city.centerLat! < 31.5,
      city.name,
    )
  }
  assert.equal(regions.find((r) => r.code === '330782')?.name, '义乌市')
})
