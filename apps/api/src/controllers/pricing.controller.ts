import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ReadRoles, Roles } from '@clarion/auth';
import { PriceTable, RateCard } from '@clarion/pricing';

class RateCardView implements RateCard {
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ type: String, nullable: true, example: '2025-07-01', description: "the day the rates were taken from Meta's rate card" })
  ratesDate: string | null;
  @ApiProperty({ description: 'category → price per delivered message, for countries not listed', example: { marketing: 0.05 } })
  default: Record<string, number>;
  @ApiProperty({ description: 'country (ISO 3166 alpha-2) → category → price', example: { IN: { marketing: 0.0107 } } })
  countries: Record<string, Record<string, number>>;
}

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/pricing')
export class PricingController {
  constructor(private readonly prices: PriceTable) {}

  @Get()
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'The rate card that prices estimates and delivered messages (PRICING_FILE), with its date' })
  @ApiOkResponse({ type: RateCardView })
  get(): RateCard {
    return this.prices.card;
  }
}
