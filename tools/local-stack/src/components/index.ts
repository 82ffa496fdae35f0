import type { Component } from '../component';
import { kafkaComponent } from './kafka';
import { mongoComponent } from './mongo';
import { prometheusComponent } from './prometheus';
import { registryComponent } from './registry';

/** In start order; `down` stops them in reverse. */
export function allComponents(): Component[] {
  return [mongoComponent, kafkaComponent, registryComponent, prometheusComponent];
}
