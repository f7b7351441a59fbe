import { Module } from '@nestjs/common';
import { PriceTable } from './price-table';

/** The installation's price table, shared by broadcast estimates and delivered-cost statistics. */
@Module({ providers: [PriceTable], exports: [PriceTable] })
export class PricingModule {}
